"""Codes as spreadsheets write them: one cell read leniently, where it is unambiguous.

Strict :func:`validate` of every code system judges a code exactly as written. Cells of a
spreadsheet or an export carry quirks a person sees through at once; :func:`check` reads
such a cell for a code system and a date of service, and says what it did:

- **forgiven** (the cell is valid, :attr:`Cell.note` says what was read past): quotes
  (Excel's leading ``'``), a trailing dot (``I10.``), invisible characters (a zero-width
  space or byte order mark pasted with the code); a procedure code stored as a number
  (``99213``, Excel's ``99213.0``) or written as one's text (``"99213.0"``, a CSV of a
  float column). Surrounding white space, lower case and full-width characters are read
  as strict ``validate`` reads them, without a note;
- **split**: several codes in one cell (``E119,I10``, ``E11.9; I10``, full-width ``，``
  and ``；`` too, each code possibly quoted, the list possibly in brackets:
  ``['E11.9', 'I10']``): each is validated, and the cell is valid when every one is;
- **missing**: what spreadsheets and pandas write for no value (``NaN``, ``None``, ``N/A``,
  ``#N/A``, ``<NA>``, ``null``...) or a cell of dots is ``CODE_MISSING``, never a code;
- **dated past the data** (the cell is valid, :attr:`Cell.note` says so): a date the
  code system's data does not describe (``icd10cm.covers(on=...)`` is False) is answered
  from the nearest data, and the note says it in the words of the claim report's notice
  (``cells.check("E11.9", on="2031-01-01").note``); an invalid cell's message says it
  (the code system's error does);
- **explained, with the fix** (the cell is not valid): a procedure modifier glued to a
  diagnosis (``M17.11RT``: a diagnosis carries its side in the code itself) or to a
  procedure code (``99213-25``, ``9921325``: modifiers go in their own field).

Anything else gets the strict answer of the code system (its error's ``code`` as
:attr:`Cell.rule`, its message, its ``fix``). Nothing raises for a bad cell: a missing
value, a number where text belongs or a 10 MB string is a :class:`Cell` with a reason. A
malformed ``on`` is the caller's mistake and raises :class:`~codekit.InvalidArgument`.

>>> c = check("I10.", on="2025-06-01")
>>> c.valid, c.codes, c.note
(True, ('I10',), "read as I10: the trailing '.' was dropped")
>>> c = check("E119,I10", on="2025-06-01")
>>> c.valid, c.codes, c.note
(True, ('E11.9', 'I10'), '2 codes in one cell (E11.9, I10): each is validated')
>>> c = check("M17.11RT", on="2025-06-01")
>>> c.valid, c.rule, c.fix
(False, 'DX_MODIFIER_ATTACHED', ('M17.11',))
>>> print(c.message)  # doctest: +NORMALIZE_WHITESPACE
'M17.11RT': RT (right side) is a procedure modifier glued to the diagnosis M17.11; a
diagnosis carries its side in the code itself: report M17.11 (Unilateral primary
osteoarthritis, right knee)
>>> c = check("99213-25", system="cpt", on="2025-06-01")
>>> c.valid, c.rule, c.fix
(False, 'PROC_MODIFIER_ATTACHED', ('99213',))
>>> check(None).rule, check(float("nan")).rule
('CODE_MISSING', 'CODE_MISSING')

The cell-level rule IDs (``CODE_MISSING``, ``DX_MODIFIER_ATTACHED``,
``PROC_MODIFIER_ATTACHED``) are described in ``docs/pandas.md``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

import attrs

from . import codesystem
from ._show import shown as _quoted
from ._text import DROP_INVISIBLE, INVISIBLE  # what _text.clean reads past: noted here
from .errors import (
    InvalidFormat,
    InvalidModifier,
    NotValidOnDate,
    UnknownCode,
    ValidationError,
)

__all__ = ["MAX_CELL", "Cell", "Reading", "check", "read"]

#: The longest cell read as codes (a cell may list several); longer is a format problem.
MAX_CELL = 4096

MISSING = "CODE_MISSING"
DX_ATTACHED = "DX_MODIFIER_ATTACHED"
PROC_ATTACHED = "PROC_MODIFIER_ATTACHED"

_PROCEDURE_SYSTEMS = frozenset({"cpt", "hcpcs", "procedure"})
#: Commas, semicolons, bars, line breaks and tabs; their full-width forms (a cell typed
#: with an East Asian input method) and the ideographic comma too.
_SEPARATORS = re.compile(r"\s*[,;|\n\r\t\uff0c\uff1b\uff5c\u3001]+\s*")
_QUOTES = "'\"`\u2018\u2019\u201c\u201d"
#: What spreadsheets and pandas write for a missing value (pandas' ``read_csv`` default
#: NA strings, compared case-insensitively): never a code of any system.
_MISSING_MARKERS = frozenset({
    "nan", "-nan", "none", "null", "na", "n/a", "#n/a", "#na", "<na>", "nat", "#n/a n/a",
    "1.#ind", "-1.#ind", "1.#qnan", "-1.#qnan"})
#: A procedure code written as the text of a float (a CSV of a column pandas or Excel read
#: as numbers: ``99213.0``).
_NUMBER_TEXT = re.compile(r"([0-9]{1,5})\.0+")
#: A side written after a diagnosis: the anatomic modifiers and the words (the code
#: itself is one word: ``E11.9 I10 RT`` is not one code with a side).
_DX_SIDE = re.compile(r"^(\S+?)[-\s_/]*(RT|LT|50|RIGHT|LEFT|BILATERAL|BILAT)$")
_SIDES = {"RT": "right", "LT": "left", "50": "bilateral", "RIGHT": "right", "LEFT": "left",
          "BILATERAL": "bilateral", "BILAT": "bilateral"}
#: How many invalid codes of one cell its message names.
_LISTED = 5
_SIDE_NAMES = {"RT": "RT (right side)", "LT": "LT (left side)", "50": "50 (bilateral)"}


@attrs.frozen
class Reading:
    """What a cell holds, before any date is considered (:func:`read`).

    ``codes`` are the strings to validate (one, or several from one cell); ``note`` what
    was forgiven to get them; ``problem`` a ``(rule, message)`` when the cell holds no code
    to validate (missing, not text, too long); ``attached`` the modifier or side found
    that may be glued to the code: ``(the code, the modifier or side)``, which explains the
    cell when the code as written is not valid.
    """

    value: Any
    codes: tuple[str, ...] = ()
    note: str | None = None
    problem: tuple[str, str] | None = None
    attached: tuple[str, str] | None = None

    @property
    def as_written(self) -> bool:
        """True when the cell is one code to be judged exactly as written (a glued
        modifier aside: it explains the cell only when the code as written is invalid)."""
        return (self.problem is None and self.note is None
                and len(self.codes) == 1 and self.codes[0] == self.value)


@attrs.frozen
class Cell:
    """A cell read for a code system and a date of service (:func:`check`)."""

    value: Any
    #: The codes read, as printed (``E11.9``); empty when the cell holds none.
    codes: tuple[str, ...]
    #: Every code read may be reported on the date.
    valid: bool
    #: Why not: the error code of the code system (``DX_NOT_BILLABLE``...), or a cell-level
    #: rule (``CODE_MISSING``, ``DX_MODIFIER_ATTACHED``, ``PROC_MODIFIER_ATTACHED``).
    rule: str | None = None
    message: str | None = None
    #: The machine-readable fix: codes to use instead, best first.
    fix: tuple[str, ...] = ()
    #: What was forgiven or split to read the cell, when anything was.
    note: str | None = None
    #: The entries of the codes read that are valid on the date, in cell order.
    entries: tuple[Any, ...] = ()


def _missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    # pandas.NA and pandas.NaT without importing pandas
    return type(value).__name__ in ("NAType", "NaTType")


_FORMAT_RULES: dict[str, str] = {}


def format_rule(system: str) -> str:
    """The format error code of ``system`` (``DX_FORMAT_INVALID``...)."""
    rule = _FORMAT_RULES.get(system)
    if rule is None:
        try:
            codesystem.get(system).parse(None)
        except ValidationError as e:
            rule = _FORMAT_RULES[system] = e.code
        else:  # pragma: no cover - every system rejects None
            rule = "INVALID"
    return rule


def read(value: object, system: str = "icd10cm") -> Reading:
    """What ``value`` (a cell) holds for ``system``, before dates: see the module doc.

    >>> read(" 'I10. ").codes, read("E11.9 ; I10").codes, read("M17.11-RT").attached
    (('I10',), ('E11.9', 'I10'), ('M17.11', 'RT'))
    >>> read(99213, "cpt").codes, read(10.5, "cpt").problem[0]
    (('99213',), 'PROC_FORMAT_INVALID')
    """
    mod = codesystem.get(system)
    if _missing(value):
        return Reading(value, problem=(MISSING, "the cell is empty: no code"))
    if type(value) is not str:
        if not isinstance(value, str):
            return _not_text(value, system)
        value = str(value)  # a str subclass (NumPy's str_): read its text
    if len(value) > MAX_CELL:
        return Reading(value, problem=(format_rule(system), f"{len(value):,} characters: "
                                       "too long to be a code (or a list of codes)"))
    if not value.isascii():
        hidden = [ch for ch in dict.fromkeys(value) if ch in INVISIBLE]
        if hidden:
            return _visible(value, hidden, system)
    if len(value) <= 12 and \
            value.strip().strip(_QUOTES).casefold() in _MISSING_MARKERS:
        return Reading(value, problem=(MISSING, f"the cell holds no code: {value!r} is how a "
                                       "missing value is written"))
    words = value.split()
    if len(words) > 1 and all(len(w) >= 3 and _well_formed(mod, w) for w in words):
        shown = ", ".join(_shown(mod, w) for w in words)
        return Reading(value, tuple(words), f"{len(words)} codes in one cell ({shown}): "
                       "each is validated")
    if _well_formed(mod, value):
        return Reading(value, (value,), attached=_attached(value, system))
    text = value.strip()
    notes = []
    if len(text) > 1 and text[0] == "[" and text[-1] == "]":  # a list written as text
        text = text[1:-1].strip()
        notes.append("the brackets were dropped")
    unquoted = text.strip(_QUOTES).strip()
    if unquoted != text:
        notes.append("the quotes were dropped")
    text = unquoted
    # parts that are nothing but dots or quotes (a stray '.' after a separator) are dropped
    parts = [p for p in _SEPARATORS.split(text) if _strip_dots(p.strip(_QUOTES).strip())[0]]
    if len(parts) > 1:
        # each code of a list may be quoted ('E11.9', 'I10') or written as a number
        codes = tuple(_as_number(_strip_dots(p.strip(_QUOTES).strip())[0], system)[0]
                      for p in parts)
        shown = ", ".join(_shown(mod, c) for c in codes)
        return Reading(value, codes, f"{len(codes)} codes in one cell ({shown}): each is "
                       "validated")
    if not parts:
        return Reading(value, problem=(MISSING, f"the cell holds no code: {_quoted(value)}"))
    text = parts[0].strip(_QUOTES).strip()
    if text != parts[0] and "the quotes were dropped" not in notes:
        notes.append("the quotes were dropped")
    text, dots = _strip_dots(text)
    if dots:
        notes.append(f"the trailing {dots!r} was dropped")
    text, number = _as_number(text, system)
    if number:
        notes.append("the code was stored as a number")
    glued = _attached(text, system)
    note = f"read as {_shown(mod, text)}: " + " and ".join(notes) if notes else None
    return Reading(value, (text,), note, attached=glued)


def _visible(value: str, hidden: list[str], system: str) -> Reading:
    """The reading of ``value`` without the invisible characters ``hidden`` it holds, its
    note saying they were dropped."""
    text = value.translate(DROP_INVISIBLE)
    names = ", ".join(f"U+{ord(ch):04X} ({unicodedata.name(ch).lower()})" for ch in hidden)
    what = f"character{'s' if len(hidden) > 1 else ''} {names}"
    if not text.strip():
        return Reading(value, problem=(MISSING, f"the cell holds no code, only the invisible "
                                       f"{what}"))
    inner = read(text, system)
    if inner.problem is not None:
        return Reading(value, problem=inner.problem)
    dropped = f"the invisible {what} {'were' if len(hidden) > 1 else 'was'} dropped"
    if inner.note is None:
        note = f"read as {_shown(codesystem.get(system), inner.codes[0])}: {dropped}" \
            if len(inner.codes) == 1 else dropped
    elif inner.note.startswith("read as "):
        note = f"{inner.note} and {dropped}"
    else:  # several codes in the cell
        note = f"{inner.note}; {dropped}"
    return Reading(value, inner.codes, note, attached=inner.attached)


def _as_number(text: str, system: str) -> tuple[str, bool]:
    """(the procedure code, True) when ``text`` is one written as a float's text
    (``99213.0``, ``100.0`` for 00100, as a number cell is read); else (text, False)."""
    if system in _PROCEDURE_SYSTEMS:
        m = _NUMBER_TEXT.fullmatch(text)
        if m:
            return m.group(1).zfill(5), True
    return text, False


def _strip_dots(text: str) -> tuple[str, str]:
    stripped = text.rstrip(". ")
    return stripped, text[len(stripped):].strip()


def _well_formed(mod: Any, text: str) -> bool:
    try:
        mod.parse(text)
    except ValidationError:
        return False
    return True


def _not_text(value: object, system: str) -> Reading:
    if system in _PROCEDURE_SYSTEMS and not isinstance(value, bool) and \
            isinstance(value, int | float) and not isinstance(value, complex):
        number = float(value)
        if math.isfinite(number) and number.is_integer() and 0 <= number < 100_000:
            text = str(int(number)).zfill(5)
            return Reading(value, (text,), f"read as {text}: the code was stored as a number")
    kind = type(value).__name__
    if kind == "ndarray" and hasattr(value, "tolist"):  # a list cell of Parquet or Spark
        value, kind = value.tolist(), "list"          # NumPy's repr is no help here
    shown = repr(value)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    return Reading(value, problem=(format_rule(system),
                                   f"expected a code as text, got {kind} {shown}"))


def _attached(text: str, system: str) -> tuple[str, str] | None:
    """(the code, what is glued to it) when ``text`` is a code with a modifier attached."""
    if system == "icd10cm":
        up = text.upper()
        m = _DX_SIDE.match(up)
        if m and _well_formed(codesystem.get(system), m.group(1)):
            return m.group(1), m.group(2)
        return None
    if system in _PROCEDURE_SYSTEMS:
        from . import procedure

        if procedure.system_of(text) == "line":
            line = procedure.parse_line(text)
            if line.modifiers:
                return line.code.code, "-".join(line.modifiers)
    return None


def explain_attached(value: object, code: str, attached: str, system: str,
                     entry: Any) -> tuple[str, str, tuple[str, ...]]:
    """(rule, message, fix) for a code with a modifier glued on; ``entry`` is the code's
    entry on the date (None when the code itself is not valid then)."""
    mod = codesystem.get(system)
    shown = mod.format(code)
    title = getattr(entry, "title", None)
    if system == "icd10cm":
        side = _SIDES.get(attached, "")
        what = _SIDE_NAMES.get(attached, attached)
        named = f"{shown} ({title})" if title else shown
        if title and side and side != "bilateral" and side not in title.lower() and \
                ("right" in title.lower() or "left" in title.lower()):
            tail = f"; note that {named} is not on the {side} side"
        else:
            tail = ""
        kind = "a procedure modifier" if attached in _SIDE_NAMES else "a side"
        message = (f"{value!r}: {what} is {kind} glued to the diagnosis {shown}; a "
                   f"diagnosis carries its side in the code itself: report {named}{tail}")
        return DX_ATTACHED, message, (shown,)
    mods = attached.split("-")
    plural = "modifiers" if len(mods) > 1 else "modifier"
    message = (f"{value!r}: the procedure code {shown} with {plural} {', '.join(mods)} "
               f"glued on: put the code ({shown}) in the code field and each modifier in "
               "its own")
    return PROC_ATTACHED, message, (shown,)


def check(value: object, *, system: str = "icd10cm", on: object = None,
          suggest: bool = True) -> Cell:
    """``value`` (a spreadsheet cell) read leniently for ``system`` and validated on ``on``
    (default today): see the module doc. Never raises for the cell; a malformed ``on``
    raises :class:`~codekit.InvalidArgument`. ``suggest=False`` leaves the did-you-mean
    out of :attr:`Cell.fix` (the costly part of an unknown or malformed code's answer):
    the fix of an unknown code, a malformed code or modifier is then empty; other fixes
    (a header's billable codes, a code's replacements, the code under a glued modifier)
    stay.

    >>> check("E11", on="2025-06-01").rule
    'DX_NOT_BILLABLE'
    >>> check(" j3490 ", system="hcpcs", on="2025-06-01").codes
    ('J3490',)
    >>> check("W1234", system="procedure", on="2025-06-01", suggest=False).fix
    ()
    """
    from ._dates import coerce_date

    mod = codesystem.get(system)
    day = coerce_date(on)
    reading = read(value, system)
    if reading.problem is not None:
        return Cell(value, (), False, *reading.problem)
    results = [_one(mod, code, day) for code in reading.codes]
    if reading.attached is not None and results[0][0] is None:
        code, what = reading.attached
        entry, err = _one(mod, code, day)
        rule, message, fix = explain_attached(value, code, what, system, entry)
        if entry is None and err is not None:  # the code itself is not valid then either
            message += f"; and {err}"
            fix = _fix(err, suggest)  # not the code itself: the code system's suggestions
        return Cell(value, (_shown(mod, code),), False, rule, message, fix)
    codes = tuple(e.formatted if e is not None else _shown(mod, c)
                  for c, (e, _) in zip(reading.codes, results, strict=True))
    entries = tuple(e for e, _ in results if e is not None)
    failed = [(c, err) for c, (e, err) in zip(codes, results, strict=True) if e is None]
    if not failed:
        note = reading.note
        late = _coverage_note(mod, entries, day)
        if late is not None:  # a date the data does not describe: never silently valid
            note = f"{note}; {late}" if note else late
        return Cell(value, codes, True, note=note, entries=entries)
    code, err = failed[0]
    assert err is not None
    message = str(err)
    if len(codes) > 1:  # the first few reasons: a cell of 2,000 codes is no 100 KB message
        more = len(failed) - _LISTED
        message = (f"{len(failed)} of the {len(codes)} codes in the cell are not valid: "
                   + "; ".join(str(e) for _, e in failed[:_LISTED])
                   + (f"; and {more:,} more" if more > 0 else ""))
    return Cell(value, codes, False, err.code, message, _fix(err, suggest), reading.note,
                entries)


def _coverage_note(mod: Any, entries: tuple[Any, ...], day: Any) -> str | None:
    """What is said of ``day`` when the data of a valid code of the cell does not
    describe it (the entry's ``covered`` is False): ICD-10-CM's in the words of the claim
    report's notice (:func:`codekit.icd10cm.coverage_note`), another system's in its
    entry's ``note``, which then says it; None for a date the data describes."""
    for e in entries:
        if not e.covered:
            if mod.SYSTEM == "icd10cm":
                return mod.coverage_note(on=day) or e.note
            return e.note
    return None


#: The errors whose ``fix`` is a did-you-mean, worked out on first access (a modifier not
#: valid on the date is an :class:`InvalidModifier` whose fix is its replacements).
_DID_YOU_MEAN = (UnknownCode, InvalidFormat, InvalidModifier)


def _fix(err: ValidationError, suggest: bool) -> tuple[str, ...]:
    """``err``'s fix; without its did-you-mean unless ``suggest``."""
    if not suggest and isinstance(err, _DID_YOU_MEAN) and not isinstance(err, NotValidOnDate):
        return ()
    return tuple(err.fix)


def _shown(mod: Any, code: str) -> str:
    try:
        return str(mod.format(code))
    except ValidationError:
        return code


def _one(mod: Any, code: str, day: Any) -> tuple[Any, ValidationError | None]:
    try:
        return mod.validate(code, on=day), None
    except ValidationError as e:
        return None, e

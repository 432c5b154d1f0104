"""Code references in ICD-10-CM instructional notes, and testing codes against them.

The tabular list attaches free-text notes to chapters, blocks and codes (``excludes1``,
``excludes2``, ``codeFirst``, ``useAdditionalCode``, ``codeAlso``, ``includes``,
``inclusionTerm``, ``notes``). The codes they point at are written inside the prose::

    type 1 diabetes mellitus (E10.-)
    complications of pregnancy (O00-O9A)
    diabetes mellitus (E08-E13 with .42)
    torticollis NOS M43.6

:func:`parse_refs` reads them with the lark grammar ``grammars/icd10cm_notes.lark`` into
:class:`CodeRef` values that can be tested against a code:

>>> refs = parse_refs("diabetes mellitus (E08-E13 with .42)")
>>> refs
(CodeRef(kind='range', start='E08', end='E13',
         qualifier=Qualifier(positions=(4,), values=(('42', '42'),))),)
>>> [str(r) for r in refs]
['E08-E13 with .42']
>>> refs[0].matches("E11.42"), refs[0].matches("E1140")
(True, False)

How a note is read:

- Each parenthesised group that contains something shaped like a code (a letter, a digit
  and a letter or digit at the start of a word) must parse completely as a list of code
  references, or :class:`NoteParseError` is raised: nothing that looks like a code is
  silently dropped. Groups without codes (``(acute)``, ``(in)``) are prose.
- Prose outside parentheses is scanned for code lists too (``torticollis NOS M43.6``);
  a word shaped like a code that is not one (``O157``) is an error as well, except for a
  short list of known non-code words (``vitamin B12``, ``G6PD``, ``H5N1``, ``LGMD R12``).
- When a note has code references in parentheses, codes in its prose only describe the
  condition (``pneumoconiosis with tuberculosis, any type in A15 (J65)`` refers to J65,
  not A15), so the note's references are the parenthesised ones. Otherwise they are the
  prose ones. Words such as "except" are not interpreted: ``Conditions in S00-T88,
  except T74 and T76`` refers to S00-T88, T74 and T76.

Qualifiers ("with ...") restrict the characters after the codes and apply to every code
of the list before them (``E08, E09, E11, E13 with final characters .00 or .01``):

- ``with .42``, ``with .51-.52``, ``with 1``: the values start right after the codes
  (after a category, the 4th character; after ``B27.0-B27.9``, the 5th). A leading ``-``
  stands for one character: ``I69. with final characters -20`` is I69.x20.
- ``with fifth character 1``, ``with 7th character B or C``, ``with fifth to sixth
  characters 51``: explicit positions. ``with 5th character .6`` ignores the dot.
- ``with fifth or sixth character 5`` (and ``with final character 6``, which the tabular
  uses the same way): the intent character of a poisoning code, see :class:`Qualifier`.
- ``with fifth or sixth character to indicate intent`` restricts nothing; ``with open
  fracture 7th character`` means the open-fracture 7th characters B C E F H J M N Q R.
- A character qualifier written after the closing parenthesis and ending the note
  (``underdosing of medication (T36-T50) with fifth or sixth character 6``) restricts the
  codes in those parentheses, as if written inside them.

Parsing needs lark; the JSON forms (:meth:`CodeRef.to_json`, :meth:`Note.to_json`,
:meth:`NoteList.to_json`) let a build step store parsed references that load without it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, cast

import attrs

from ..errors import InvalidArgument, NoteParseError

if TYPE_CHECKING:
    from lark import Lark

__all__ = [
    "NOTE_KINDS",
    "CodeRef",
    "Note",
    "NoteList",
    "NoteParseError",
    "Qualifier",
    "parse_refs",
]

#: The note containers of a tabular entry, in the order the tabular prints them.
NOTE_KINDS = (
    "inclusionTerm", "includes", "excludes1", "excludes2", "codeFirst",
    "useAdditionalCode", "codeAlso", "notes",
)

_GRAMMAR = "icd10cm_notes.lark"
_REF_KINDS = ("code", "prefix", "range")
_CODE_RE = re.compile(r"[A-Z]\d[0-9A-Z][0-9A-Z]{0,4}")
_ORDINALS = {4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh"}
_NTH = {
    "fourth": 4, "4th": 4, "fifth": 5, "5th": 5, "sixth": 6, "six": 6, "6th": 6,
    "seventh": 7, "7th": 7,
}
#: 7th characters that mean an open fracture (initial encounter B/C, subsequent E/F, H/J,
#: M/N, Q/R). In the 7th-character lists of the tabular (checked on FY2026) these letters,
#: and only these, describe open fractures.
_OPEN_FRACTURE_7TH = "BCEFHJMNQR"

#: Something shaped like a code at the start of a word.
_CODE_LIKE = re.compile(r"(?<![0-9A-Za-z])[A-Z]\d[0-9A-Z]")
#: Words shaped like codes that are not codes; blanked out before parsing.
_NOT_CODES = re.compile(
    r"(?<![0-9A-Za-z])(?:"
    r"(?i:vitamin)\s+B12"  # "vitamin B12 deficiency anemia"
    r"|LGMD\s+R\d+"  # limb-girdle muscular dystrophy types, "LGMD R22 collagen 6-related"
    r"|G6PD"  # glucose-6-phosphate dehydrogenase
    r"|H\dN\d"  # influenza A subtypes, "A/H5N1"
    r"|O157"  # E. coli serogroup, "E. coli O157:H7"
    r")(?![0-9A-Za-z])"
)
#: A character qualifier right after a parenthesised group, ending the note: "underdosing
#: of medication (T36-T50) with fifth or sixth character 6" (Z91.12-, Z91.13-, Z91.A2-,
#: Z91.A3-). It restricts the codes in the group ("with loss (in)" after "(S06.0X-)" is
#: prose: no character is named).
_TRAILING_QUALIFIER = re.compile(
    r"\s*,?\s*(with\s+(?:fourth|fifth|sixth|seventh|final|[4-7]th)\b[^()]*?\bcharacters?\b"
    r"[^()]*?)\s*[.;]?\s*$")
#: A parenthesised example in running text: "(e.g. tracheobronchitis to bronchitis in J40)".
_EXAMPLE_LEAD = re.compile(r"\s*(?:e\.g\.|i\.e\.),?\s", re.IGNORECASE)


def _normalize(code: str) -> str:
    return code.replace(".", "").strip().upper()


def _dotted(code: str) -> str:
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"


def _check_code(code: str) -> None:
    if not _CODE_RE.fullmatch(code):
        raise InvalidArgument(f"not an undotted upper-case ICD-10-CM code: {code!r}")


# attrs converters (typed, so that the generated ``__init__`` is typed too)
def _positions(ps: Iterable[int]) -> tuple[int, ...]:
    return tuple(ps)


def _value_pairs(vs: Iterable[Iterable[object]]) -> tuple[tuple[str, str], ...]:
    return tuple((str(lo), str(hi)) for lo, hi in vs)


def _refs(refs: Iterable[CodeRef]) -> tuple[CodeRef, ...]:
    return tuple(refs)


def _notes(notes: Iterable[Note]) -> tuple[Note, ...]:
    return tuple(notes)


@attrs.frozen
class Qualifier:
    """A restriction on the characters that follow the referenced codes ("with ...").

    ``positions`` are 1-based character positions of the undotted code (4 is the first
    character after the category). ``values`` are inclusive ``(low, high)`` pairs, all of
    one length; the characters from the position on must fall in one of them.

    With one position the values may span several characters: ``with .42`` after a
    category is ``Qualifier((4,), (("42", "42"),))``. Several positions mean "the last of
    these positions that holds a character other than the placeholder X", which is how
    ``with fifth or sixth character 5`` finds the intent character of a poisoning code
    (``T36.0X5A`` has it 6th, ``T36.95XA`` 5th):

    >>> q = Qualifier((5, 6), (("5", "5"),))
    >>> q.matches("T360X5A"), q.matches("T3695XA"), q.matches("T43651A")
    (True, True, False)
    >>> str(q)
    'with fifth or sixth character 5'
    """

    positions: tuple[int, ...] = attrs.field(converter=_positions)
    values: tuple[tuple[str, str], ...] = attrs.field(converter=_value_pairs)

    def __attrs_post_init__(self) -> None:
        if not self.positions or not self.values:
            raise InvalidArgument("a qualifier needs positions and values")
        if any(not 4 <= p <= 7 for p in self.positions) or list(self.positions) != sorted(
            set(self.positions)
        ):
            raise InvalidArgument(f"qualifier positions must be increasing, 4-7: {self.positions}")
        width = len(self.values[0][0])
        if len(self.positions) > 1 and width != 1:
            raise InvalidArgument("values of a multi-position qualifier are single characters")
        if self.positions[0] + width - 1 > 7:
            raise InvalidArgument(f"qualifier values of {width} run past the 7th character")
        for lo, hi in self.values:
            if not (re.fullmatch(r"[0-9A-Z]+", lo) and re.fullmatch(r"[0-9A-Z]+", hi)):
                raise InvalidArgument(f"bad qualifier value {lo!r}-{hi!r}")
            if not len(lo) == len(hi) == width or lo > hi:
                raise InvalidArgument(f"qualifier values must be ordered, of one length: {lo}-{hi}")

    def matches(self, code: str) -> bool:
        """Whether undotted ``code`` has one of the values at the position."""
        if len(self.positions) == 1:
            i = self.positions[0] - 1
            for lo, hi in self.values:
                seg = code[i : i + len(lo)]
                if len(seg) == len(lo) and lo <= seg <= hi:
                    return True
            return False
        for p in reversed(self.positions):
            if p <= len(code) and code[p - 1] != "X":
                ch = code[p - 1]
                return any(lo <= ch <= hi for lo, hi in self.values)
        return False

    def _values_text(self, dot: bool) -> str:
        lead = "." if dot else ""
        return ", ".join(
            f"{lead}{lo}" if lo == hi else f"{lead}{lo}-{lead}{hi}" for lo, hi in self.values
        )

    def __str__(self) -> str:
        pos = self.positions
        if len(pos) > 1:
            where = " or ".join(_ORDINALS[p] for p in pos) + " character"
        elif len(self.values[0][0]) == 1:
            where = f"{_ORDINALS[pos[0]]} character"
        else:
            last = pos[0] + len(self.values[0][0]) - 1
            where = f"{_ORDINALS[pos[0]]} to {_ORDINALS[last]} characters"
        return f"with {where} {self._values_text(False)}"

    def to_json(self) -> list[Any]:
        """``[positions, values]``, a value being ``"42"`` or ``"51-52"``."""
        return [
            list(self.positions),
            [lo if lo == hi else f"{lo}-{hi}" for lo, hi in self.values],
        ]

    @classmethod
    def from_json(cls, obj: Sequence[Any]) -> Qualifier:
        """Inverse of :meth:`to_json`."""
        positions, values = obj
        return cls(tuple(int(p) for p in positions),
                   tuple(tuple(v.split("-")) if "-" in v else (v, v) for v in values))


@attrs.frozen
class CodeRef:
    """One code reference of a note.

    ``kind`` is ``"code"`` (``G63``, ``T40.1X1A``), ``"prefix"`` (``E10.-``, ``M54.4-``)
    or ``"range"`` (``O00-O9A``, ``B27.0-B27.9``). ``start`` and ``end`` are undotted and
    upper case (``end == start`` except for ranges).

    A code or prefix matches itself and every code below it: a note naming ``G63`` is about
    the whole category.

    >>> ref = CodeRef("code", "G63", "G63")
    >>> ref.matches("G63"), ref.matches("G63.1"), ref.matches("G64")
    (True, True, False)
    >>> str(CodeRef("prefix", "E10", "E10")), str(CodeRef("prefix", "M544", "M544"))
    ('E10.-', 'M54.4-')

    A range matches a code whose first ``len(start)`` characters are not before ``start``
    and whose first ``len(end)`` characters are not after ``end``, in ASCII order (digits
    before letters, as in the classification: ``O9A`` follows ``O99``). The end includes
    everything below it:

    >>> r = CodeRef("range", "B270", "B279")
    >>> r.matches("B27.91"), r.matches("B27"), r.matches("B28.0")
    (True, False, False)
    >>> CodeRef("range", "O00", "O9A").matches("O9A.11")
    True

    A qualifier restricts the characters after the codes:

    >>> r = CodeRef("range", "B270", "B279", Qualifier((5,), [("1", "1")]))
    >>> str(r), r.matches("B2701"), r.matches("B2709")
    ('B27.0-B27.9 with fifth character 1', True, False)
    """

    kind: str = attrs.field(validator=attrs.validators.in_(_REF_KINDS))
    start: str
    end: str
    qualifier: Qualifier | None = None

    def __attrs_post_init__(self) -> None:
        _check_code(self.start)
        _check_code(self.end)
        if self.kind == "range":
            if self.start[: len(self.end)] > self.end:
                raise InvalidArgument(f"range starts after it ends: {self.start}-{self.end}")
        elif self.end != self.start:
            raise InvalidArgument(f"a {self.kind} reference has end == start: {self!r}")

    def matches(self, code: str) -> bool:
        """Whether ``code`` (undotted or dotted) falls under this reference."""
        code = _normalize(code)
        if self.kind == "range":
            if code[: len(self.start)] < self.start or code[: len(self.end)] > self.end:
                return False
        elif not code.startswith(self.start):
            return False
        return self.qualifier is None or self.qualifier.matches(code)

    def _base(self) -> str:
        if self.kind == "code":
            return _dotted(self.start)
        if self.kind == "prefix":
            return f"{self.start}.-" if len(self.start) == 3 else f"{_dotted(self.start)}-"
        return f"{_dotted(self.start)}-{_dotted(self.end)}"

    def __str__(self) -> str:
        q = self.qualifier
        if q is None:
            return self._base()
        if q.positions == (4,) and len(self.start) == len(self.end) == 3:
            # Values right after the category, as the tabular writes them: "E08-E13 with .42".
            return f"{self._base()} with {q._values_text(True)}"
        return f"{self._base()} {q}"

    def to_json(self) -> str | list[Any]:
        """Compact JSON form: ``"G63"``, ``"E10-"``, ``"O00-O9A"``, or with a qualifier
        ``[base, positions, values]``.

        >>> [r.to_json() for r in parse_refs("(G63, E10.-, O00-O9A)")]
        ['G63', 'E10-', 'O00-O9A']
        >>> [r.to_json() for r in parse_refs("(E08-E13 with .42)")]
        [['E08-E13', [4], ['42']]]
        >>> all(CodeRef.from_json(r.to_json()) == r for r in parse_refs("(T36-T50 with "
        ...     "fifth or sixth character 1-4, 6)"))
        True
        """
        if self.kind == "code":
            base = self.start
        elif self.kind == "prefix":
            base = f"{self.start}-"
        else:
            base = f"{self.start}-{self.end}"
        return base if self.qualifier is None else [base, *self.qualifier.to_json()]

    @classmethod
    def from_json(cls, obj: str | Sequence[Any]) -> CodeRef:
        """Inverse of :meth:`to_json`."""
        qualifier = None
        if isinstance(obj, str):
            base = obj
        else:
            # mypy keeps str in "str | Sequence[Any]" past the isinstance test
            seq: Sequence[Any] = obj
            base, *rest = seq
            qualifier = Qualifier.from_json(rest)
        if base.endswith("-"):
            return cls("prefix", base[:-1], base[:-1], qualifier)
        if "-" in base:
            start, end = base.split("-")
            return cls("range", start, end, qualifier)
        return cls("code", base, base, qualifier)


@attrs.frozen
class Note:
    """One instructional note: its text and the code references in it.

    >>> note = Note.parse("type 1 diabetes mellitus (E10.-)")
    >>> note.refs
    (CodeRef(kind='prefix', start='E10', end='E10', qualifier=None),)
    >>> note.matches("E10.9"), note.matches("E11.9")
    (True, False)
    >>> Note.parse("polyneuropathy (in):").refs
    ()
    """

    text: str
    refs: tuple[CodeRef, ...] = attrs.field(default=(), converter=_refs)

    @classmethod
    def parse(cls, text: str) -> Note:
        """The note with its references read by :func:`parse_refs`."""
        return cls(text, parse_refs(text))

    def matches(self, code: str) -> bool:
        """Whether any reference of the note matches ``code``."""
        code = _normalize(code)
        return any(r.matches(code) for r in self.refs)

    def to_json(self) -> list[Any]:
        """``[text, [ref, ...]]`` with the references in :meth:`CodeRef.to_json` form.

        >>> Note.parse("lumbago with sciatica (M54.4-)").to_json()
        ['lumbago with sciatica (M54.4-)', ['M544-']]
        """
        return [self.text, [r.to_json() for r in self.refs]]

    @classmethod
    def from_json(cls, obj: str | Sequence[Any]) -> Note:
        """Inverse of :meth:`to_json` (a bare string is a note without references)."""
        if isinstance(obj, str):
            return cls(obj)
        seq: Sequence[Any] = obj  # see CodeRef.from_json
        text, refs = seq
        return cls(text, tuple(CodeRef.from_json(r) for r in refs))


@attrs.frozen
class NoteList:
    """The notes of one kind (``excludes1``, ``codeFirst``...) attached to one entry.

    >>> ex = NoteList.parse("excludes1", ["type 1 diabetes mellitus (E10.-)",
    ...                                   "diabetes mellitus (E08-E13 with .42)"])
    >>> len(ex), bool(ex), ex.matches("E10.21"), ex.matches("E11.42"), ex.matches("E11.41")
    (2, True, True, True, False)
    >>> [str(r) for r in ex.refs]
    ['E10.-', 'E08-E13 with .42']
    >>> NoteList.from_json("excludes1", ex.to_json()) == ex
    True
    """

    kind: str
    notes: tuple[Note, ...] = attrs.field(default=(), converter=_notes)

    @classmethod
    def parse(cls, kind: str, texts: Iterable[str]) -> NoteList:
        """Parse every text with :func:`parse_refs`."""
        return cls(kind, tuple(Note.parse(t) for t in texts))

    def matches(self, code: str) -> bool:
        """Whether any note matches ``code``."""
        code = _normalize(code)
        return any(n.matches(code) for n in self.notes)

    @property
    def refs(self) -> tuple[CodeRef, ...]:
        """The references of all notes, in order."""
        return tuple(r for n in self.notes for r in n.refs)

    @property
    def texts(self) -> tuple[str, ...]:
        """The note texts, in order."""
        return tuple(n.text for n in self.notes)

    def __iter__(self) -> Iterator[Note]:
        return iter(self.notes)

    def __len__(self) -> int:
        return len(self.notes)

    def __bool__(self) -> bool:
        return bool(self.notes)

    def to_json(self) -> list[Any]:
        """The notes in :meth:`Note.to_json` form (the kind is stored by the caller)."""
        return [n.to_json() for n in self.notes]

    @classmethod
    def from_json(cls, kind: str, obj: Iterable[Any]) -> NoteList:
        """Inverse of :meth:`to_json`."""
        return cls(kind, tuple(Note.from_json(n) for n in obj))


# ---- parsing ----------------------------------------------------------------------------


class _Problem(Exception):
    """A semantic error found while building references; ``pos`` is into the segment."""

    def __init__(self, pos: int, reason: str) -> None:
        super().__init__(reason)
        self.pos = pos
        self.reason = reason


@attrs.frozen
class _Code:
    code: str  # undotted
    dashed: bool  # written with a trailing "-" or ".-"
    pos: int


@attrs.frozen
class _Range:
    start: _Code
    end: _Code


@attrs.frozen
class _Qual:
    # kind: "anchored" (explicit positions), "unanchored" (right after the codes),
    # "none" (no restriction), "open" (open-fracture 7th characters)
    kind: str
    positions: tuple[int, ...]
    values: tuple[tuple[Any, Any], ...]  # (low, high) VAL tokens
    pos: int


def _ref_from(item: _Code | _Range, qualifier: Qualifier | None) -> CodeRef:
    if isinstance(item, _Range):
        return CodeRef("range", item.start.code, item.end.code, qualifier)
    return CodeRef("prefix" if item.dashed else "code", item.code, item.code, qualifier)


def _qualifier(items: list[_Code | _Range], q: _Qual) -> Qualifier | None:
    if q.kind == "none":
        return None
    if q.kind == "open":
        return Qualifier((7,), tuple((c, c) for c in _OPEN_FRACTURE_7TH))
    values: list[tuple[str, str]] = []
    wildcards = set()
    for lo_tok, hi_tok in q.values:
        pair = []
        for tok in (lo_tok, hi_tok):
            v = str(tok).rstrip("-")
            lead = v[0] if v[0] in ".-" else ""
            if lead == "-" and q.kind == "anchored":
                raise _Problem(tok.start_pos, f"cannot read {str(tok)!r} after a position")
            wildcards.add(lead == "-")
            pair.append(v[len(lead) :])
        values.append((pair[0], pair[1]))
    if len(wildcards) > 1:
        raise _Problem(q.pos, "qualifier values mix '-' and other forms")
    positions = q.positions
    if q.kind == "unanchored":
        lengths = {len(c.code) for it in items
                   for c in ((it.start, it.end) if isinstance(it, _Range) else (it,))}
        if len(lengths) != 1:
            raise _Problem(q.pos, "qualifier follows codes of different lengths")
        positions = (lengths.pop() + 1 + (1 if wildcards.pop() else 0),)
    try:
        return Qualifier(positions, tuple(values))
    except ValueError as e:
        raise _Problem(q.pos, str(e)) from None


class _Builder:
    """lark callbacks (called while parsing, no tree is built)."""

    def code(self, ch: list[Any]) -> _Code:
        tok = ch[0]
        text = str(tok)
        return _Code(_normalize(text.rstrip("-")), text.endswith("-"), tok.start_pos)

    def range(self, ch: list[Any]) -> _Range:
        start, _connector, end = ch
        if start.code[: len(end.code)] > end.code:
            raise _Problem(start.pos, "range starts after it ends")
        return _Range(start, end)

    def adjacent_range(self, ch: list[Any]) -> _Range:
        # "E08-E13": the dash of the first code is the range's. With a space in between,
        # only two dashed codes read as a range ("I69.81- I69.91-", in a list of such
        # ranges); "A01.- B05" is more likely a missing comma.
        start, end = self.code(ch[:1]), ch[1]
        if end.pos > ch[0].end_pos and not end.dashed:
            raise _Problem(end.pos, "two codes without a separator")
        return self.range([start, None, end])

    def ref_list(self, ch: list[Any]) -> list[CodeRef]:
        q = ch[-1] if isinstance(ch[-1], _Qual) else None
        items = ch[:-1] if q is not None else ch
        qualifier = None if q is None else _qualifier(items, q)
        return [_ref_from(it, qualifier) for it in items]

    def group(self, ch: list[Any]) -> list[CodeRef]:
        return ch[0]

    def prose(self, ch: list[Any]) -> list[CodeRef]:
        return [r for refs in ch for r in refs]

    def anchored(self, ch: list[Any]) -> _Qual:
        (form, positions, pos), values = ch
        if form == "span":  # "fifth to sixth characters 51": one value over the span
            first, last = positions
            if any(len(str(lo).lstrip(".")) != last - first + 1 for lo, _hi in values):
                raise _Problem(pos, "value length does not match the character span")
            positions = (first,)
        return _Qual("anchored", positions, tuple(values), pos)

    def unanchored(self, ch: list[Any]) -> _Qual:
        values = ch[-1]
        pos = values[0][0].start_pos
        bare = all(str(t)[0] not in ".-" for pair in values for t in pair)
        if len(ch) == 2 and bare:
            # "T36-T50 with final character 6": the last character before the 7th, which
            # for these codes is the intent character, 5th or 6th.
            return _Qual("anchored", (5, 6), tuple(values), pos)
        return _Qual("unanchored", (), tuple(values), pos)

    def any_intent(self, ch: list[Any]) -> _Qual:
        return _Qual("none", (), (), ch[-1].start_pos)

    def open_fracture(self, ch: list[Any]) -> _Qual:
        return _Qual("open", (), (), ch[0].start_pos)

    def pos_single(self, ch: list[Any]) -> tuple[str, tuple[int, ...], int]:
        return "single", (_NTH[ch[0]],), ch[0].start_pos

    def pos_either(self, ch: list[Any]) -> tuple[str, tuple[int, ...], int]:
        return "either", self._two(ch), ch[0].start_pos

    def pos_span(self, ch: list[Any]) -> tuple[str, tuple[int, ...], int]:
        return "span", self._two(ch), ch[0].start_pos

    @staticmethod
    def _two(ch: list[Any]) -> tuple[int, int]:
        a, b = _NTH[ch[0]], _NTH[ch[1]]
        if b <= a:
            raise _Problem(ch[1].start_pos, "character positions out of order")
        return a, b

    def values(self, ch: list[Any]) -> list[tuple[Any, Any]]:
        return ch

    def value(self, ch: list[Any]) -> tuple[Any, Any]:
        return (ch[0], ch[-1])


_BUILDER = _Builder()


@functools.cache
def _parser() -> Lark:
    from lark import Lark

    from .._grammars import grammar_text

    return Lark(grammar_text(_GRAMMAR), parser="lalr", start=["group", "prose"],
                transformer=_BUILDER)


def _segments(text: str) -> Iterator[tuple[str, int, str]]:
    """``(kind, offset, content)`` for the prose and the top-level parenthesised groups.

    Nested parentheses stay inside their group; an unmatched ``)`` is prose; ``}`` closes
    an open group (a typo in the tabular: "(E87.8}"); an unclosed group runs to the end.
    """
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch == "(":
            if depth == 0:
                yield "prose", start, text[start:i]
                start = i + 1
            depth += 1
        elif ch in ")}" and depth:
            depth -= 1
            if depth == 0:
                yield "group", start, text[start:i]
                start = i + 1
    yield ("group" if depth else "prose"), start, text[start:]


def _parse_segment(text: str, offset: int, content: str, start: str) -> list[CodeRef]:
    from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

    try:
        # the parser's inline transformer (_Builder) turns the tree into references
        return cast("list[CodeRef]", _parser().parse(content, start=start))
    except _Problem as e:
        raise NoteParseError(text, offset + e.pos + 1, e.reason) from None
    except UnexpectedInput as e:
        if isinstance(e, UnexpectedToken) and e.token.type != "$END":
            pos = e.token.start_pos
            reason = f"cannot read {str(e.token)!r} in a code reference"
        elif isinstance(e, UnexpectedCharacters):
            pos = e.pos_in_stream
            word = re.match(r"[0-9A-Za-z.\-]+|\S", content[pos:])
            reason = f"cannot read {word.group() if word else content[pos:]!r} in a code reference"
        else:
            pos = len(content.rstrip())
            reason = "code reference ends too early"
        raise NoteParseError(text, offset + pos + 1, reason) from None


def parse_refs(text: str) -> tuple[CodeRef, ...]:
    """The code references in a note's text (see the module documentation for the rules).

    >>> [str(r) for r in parse_refs("complications of pregnancy (O00-O9A)")]
    ['O00-O9A']
    >>> [str(r) for r in parse_refs("(A00.0, A01.-, B05.1-B05.4)")]
    ['A00.0', 'A01.-', 'B05.1-B05.4']
    >>> [str(r) for r in parse_refs("concussion (acute) (S06.0X-) with loss (in)")]
    ['S06.0X-']
    >>> [str(r) for r in parse_refs("underdosing of medication (T36-T50) with fifth or "
    ...                             "sixth character 6")]
    ['T36-T50 with fifth or sixth character 6']
    >>> [str(r) for r in parse_refs("torticollis NOS M43.6")]
    ['M43.6']
    >>> parse_refs("polyneuropathy (in):")
    ()
    >>> parse_refs("lumbago (M54.4x)")
    Traceback (most recent call last):
    ...
    codekit.errors.NoteParseError: cannot read 'M54.4x' in a code reference at column 10: ...
    """
    if not _CODE_LIKE.search(text):
        return ()
    clean = _NOT_CODES.sub(lambda m: " " * len(m.group()), text)
    in_groups: list[CodeRef] = []
    in_prose: list[CodeRef] = []
    segments = list(_segments(clean))
    for i, (kind, offset, content) in enumerate(segments):
        if not _CODE_LIKE.search(content):
            continue
        if kind == "group":
            lead = _EXAMPLE_LEAD.match(content)
            after = _TRAILING_QUALIFIER.match(segments[i + 1][2]) \
                if i + 1 < len(segments) and segments[i + 1][0] == "prose" else None
            if lead:
                # "(e.g. ... in J40)", "(i.e. E05.8, E07.0)": running text in parentheses
                in_groups += _parse_segment(text, offset + lead.end(),
                                            content[lead.end() :], "prose")
            elif after:
                # "(T36-T50) with fifth or sixth character 6": the qualifier restricts the
                # codes in the parentheses before it, as if written inside them
                in_groups += _parse_segment(text, offset, f"{content} {after.group(1)}",
                                            "group")
            else:
                in_groups += _parse_segment(text, offset, content, "group")
        else:
            in_prose += _parse_segment(text, offset, content, "prose")
    return tuple(dict.fromkeys(in_groups or in_prose))

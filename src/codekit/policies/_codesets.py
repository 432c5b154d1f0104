"""Code sets of the policy language: what an item means, whether it exists, and membership.

An item is one word of a set: a code (``M99.03``, ``98941``, ``AT``), a range
(``M99.00-M99.05``, ``98940-98942``) or an ICD-10-CM prefix (``E11.-``, ``M54.4-``).
:func:`classify` reads it by shape alone; :func:`check_item` asks codekit's tables whether
it exists. ICD-10-CM codes longer than three characters keep their dot, so ``G0121`` is
always the HCPCS code and ``G01.21`` the diagnosis.

A compiled :class:`CodeSet` answers membership for compact codes (no dot, upper case):

>>> s = CodeSet.of("icd10cm", exact=["I10"], prefixes=["E11"], ranges=[("M9900", "M9905")])
>>> "M9903" in s, "E1165" in s, "I10" in s, "M9906" in s, "I110" in s
(True, True, True, False, False)
>>> t = s.minus(CodeSet.of("icd10cm", exact=["E119"]))
>>> "E1165" in t, "E119" in t
(True, False)
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable
from typing import Any

import attrs

from .. import _cache
from ..errors import ValidationError

__all__ = ["CodeSet", "Item", "a_system", "check_item", "classify", "procedure_key",
           "range_key"]

SYSTEM_NAMES = {"icd10cm": "ICD-10-CM", "procedure": "CPT/HCPCS", "modifier": "modifier"}

_ICD_UNDOTTED = re.compile(r"[A-Z][0-9][0-9A-Z][0-9A-Z]{1,4}")
_ICD_PREFIX = re.compile(r"([A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,3})?)\.?-")
_PROC = re.compile(r"[0-9]{4}[0-9AMFTU]|[ABCDEGHJKLMPQRSTUV][0-9]{4}")
_MODIFIER = re.compile(r"[0-9A-Z]{2}")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def a_system(system: str) -> str:
    """The system's name with its article: "an ICD-10-CM", "a CPT/HCPCS", "a modifier"."""
    name = SYSTEM_NAMES[system]
    return ("an " if name[0] in "AEIOU" else "a ") + name


@attrs.frozen
class Item:
    """One set item, read by shape: ``kind`` is ``code``, ``prefix`` or ``range``; codes are
    compact (``start == end`` except for ranges); ``offset`` is where ``end`` starts in the
    written word (for error columns)."""

    kind: str
    system: str
    start: str
    end: str
    offset: int = 0


class ItemError(ValueError):
    """Why a word is not a set item: ``kind`` (a PolicyError kind), ``expected``, and the
    offset inside the word where the problem is."""

    def __init__(self, reason: str, kind: str, expected: str = "", offset: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.kind = kind
        self.expected = expected
        self.offset = offset


def _one(word: str) -> tuple[str, str]:
    """(system, compact code) of a single written code; ItemError when not code-shaped.

    The shape decides the system (a dot or three characters: ICD-10-CM; five: CPT/HCPCS;
    two: a modifier); the system's own parser then checks the format.
    """
    from .. import icd10cm, modifiers, procedure

    w = word.upper()
    try:
        if "." in w or len(w) == 3:
            return "icd10cm", icd10cm.parse(w).code
        if len(w) == 5 and _PROC.fullmatch(w):
            return "procedure", procedure.parse(w).code
        if _MODIFIER.fullmatch(w):
            return "modifier", modifiers.compact(w)
    except ValidationError as e:
        raise ItemError(f"{word!r} is not a code: {e.reason}", "bad_code",
                        "a code (M99.03, 98941, G0121, AT), a range (M99.00-M99.05), a prefix "
                        "(E11.-) or the name of a set defined earlier") from None
    if _ICD_UNDOTTED.fullmatch(w):
        dotted = f"{w[:3]}.{w[3:]}"
        raise ItemError(f"{word!r} is not written like a code", "bad_code",
                        f"ICD-10-CM codes with their dot, e.g. {dotted}")
    raise ItemError(f"{word!r} is not a code, range, prefix or set name", "bad_code",
                    "a code (M99.03, 98941, G0121, AT), a range (M99.00-M99.05), a prefix "
                    "(E11.-) or the name of a set defined earlier")


#: What a letter in 5th place makes a CPT code (no letter: Category I).
_CPT_KINDS = {"F": "Category II", "T": "Category III", "U": "PLA",
              "M": "MAAA administrative", "A": "Category I ending in A"}


def _cpt_kind(code: str) -> str:
    """The kind of a 5-character CPT code, as error messages name it."""
    return _CPT_KINDS.get(code[4], "Category I") if code[4].isalpha() else "Category I"


def classify(word: str) -> Item:
    """What a set word is, by its shape.

    >>> classify("M99.00-M99.05")
    Item(kind='range', system='icd10cm', start='M9900', end='M9905', offset=7)
    >>> classify("E11.-"), classify("98941").system
    (Item(kind='prefix', system='icd10cm', start='E11', end='E11', offset=0), 'procedure')
    >>> classify("E1165")
    Item(kind='code', system='procedure', start='E1165', end='E1165', offset=0)
    """
    w = word.upper()
    m = _ICD_PREFIX.fullmatch(w)
    if m:
        code = m.group(1).replace(".", "")
        return Item("prefix", "icd10cm", code, code)
    if w.endswith("-"):
        raise ItemError(f"{word!r} is not a prefix", "bad_code",
                        "an ICD-10-CM prefix such as E11.- or M54.4- (procedure codes have "
                        "no prefixes: use a range such as 99202-99215)")
    if w.count("-") == 1:
        left, right = w.split("-")
        if not left or not right:
            raise ItemError(f"{word!r} is not a range", "bad_code", "a range such as "
                            "M99.00-M99.05 or 98940-98942")
        s1, c1 = _one(left)
        try:
            s2, c2 = _one(right)
        except ItemError as e:
            e.offset = len(left) + 1
            raise
        off = len(left) + 1
        if s1 != s2:
            raise ItemError(f"range {word!r} mixes {a_system(s1)} code and "
                            f"{a_system(s2)} code", "bad_range",
                            "both ends from one code system", off)
        if s1 == "modifier":
            raise ItemError(f"{word!r}: modifiers have no ranges", "bad_range",
                            "modifiers listed one by one, e.g. {59, XS, XU}")
        if s1 == "procedure" and c1[0].isdigit() != c2[0].isdigit():
            raise ItemError(f"range {word!r} mixes a CPT code and a HCPCS Level II code",
                            "bad_range", "both ends CPT or both HCPCS Level II", off)
        if s1 == "procedure" and c1[0].isalpha() and c1[0] != c2[0]:
            # HCPCS Level II letters are sections (A transport and supplies, E durable
            # equipment, J drugs...): a range across them holds thousands of unrelated codes
            raise ItemError(f"range {word!r} spans HCPCS Level II sections {c1[0]} to "
                            f"{c2[0]}", "bad_range", "both ends in one letter's section "
                            "(one range for each letter's codes)", off)
        if s1 == "procedure" and c1[0].isdigit() and (
                (c1[4] if c1[4].isalpha() else "") != (c2[4] if c2[4].isalpha() else "")):
            raise ItemError(f"range {word!r} mixes CPT categories ({c1}: {_cpt_kind(c1)}, "
                            f"{c2}: {_cpt_kind(c2)})", "bad_range",
                            "both ends of one CPT category (a range holds only codes of its "
                            f"ends' kind: one range for each, e.g. {c1}-... and {c2}-...)", off)
        if range_key(s1, c1)[: len(range_key(s1, c2))] > range_key(s1, c2):
            raise ItemError(f"range {word!r} runs backwards: {left} comes after {right}",
                            "bad_range", f"the lower code first: {right}-{left}", off)
        if len(c2) < len(c1) and c1.startswith(c2):
            # I70.218-I70.21: the end is a header above the start, so the range would be
            # the start and what follows it under the end (I70.218, I70.219): a typo
            raise ItemError(f"range {word!r} ends at {right}, a header above its start "
                            f"{left}", "bad_range", f"the lower code first: {right}-{left}, "
                            "or two codes of one level (I70.211-I70.218)", off)
        return Item("range", s1, c1, c2, off)
    if "-" in w:
        raise ItemError(f"{word!r} is not a range", "bad_code",
                        "a range with one hyphen, such as M99.00-M99.05")
    system, code = _one(word)
    return Item("code", system, code, code)


@functools.lru_cache(maxsize=1 << 14)
def _icd_problem(code: str, exact: bool) -> tuple[str, str, str] | None:
    """(kind, reason, expected) when ``code`` cannot be used; None when it can: a code
    billable on some date, or (in a prefix or range) any code of some release."""
    from .. import icd10cm

    if icd10cm.valid_ranges(code):
        return None  # billable in some period: a code of its time
    dotted = code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"
    try:
        entry = icd10cm.lookup(code, on=_ANY_DAY)  # in any release (the nearest answers)
    except ValidationError as e:
        sugg = ", ".join(e.fix[:4])
        return ("unknown_code", f"unknown ICD-10-CM code {dotted!r}",
                f"a code that exists in some ICD-10-CM release (did you mean {sugg}?)"
                if sugg else "a code that exists in some ICD-10-CM release")
    if not exact:
        return None  # a header: its codes are meant
    if entry.kind != "code":
        return ("bad_code", f"{dotted!r} is a header ({entry.kind}), not a billable code",
                f"{dotted}.- for every code below it, or one billable code")
    reason = icd10cm.why_invalid(code, on=_ANY_DAY)
    return ("bad_code", f"{dotted!r} is not a complete code: "
            f"{reason.reason if reason else 'never billable'}", "a billable ICD-10-CM code")


#: The date whose release looks codes up (any date works: a code in no release of its own
#: is looked up in the nearest one that has it); fixed, so answers never depend on today.
_ANY_DAY = "2025-10-01"


@functools.lru_cache(maxsize=1 << 14)
def _procedure_problem(code: str) -> tuple[str, str, str] | None:
    from .. import procedure

    try:
        procedure.lookup(code)
    except ValidationError:
        hint = ""
        if _ICD_UNDOTTED.fullmatch(code):
            hint = f" (if you meant the ICD-10-CM code, write {code[:3]}.{code[3:]})"
        return ("unknown_code", f"unknown procedure code {code!r}{hint}",
                "a CPT or HCPCS code of some release codekit knows")
    return None


@functools.lru_cache(maxsize=1024)
def _modifier_problem(code: str) -> tuple[str, str, str] | None:
    from .. import modifiers

    try:
        modifiers.lookup(code)
    except ValidationError as e:  # its fix: the nearest modifiers (259: 25, 59...)
        near = f" (did you mean {', '.join(e.fix[:3])}?)" if e.fix else " (25, 59, XS, AT, RT...)"
        shape = "" if _MODIFIER.fullmatch(code) else ": a modifier has 2 characters"
        return ("unknown_code", f"unknown modifier {code!r}{shape}",
                f"a CPT or HCPCS modifier codekit knows{near}")
    return None


_cache.owned("policies.icd10cm_items", _icd_problem)
_cache.owned("policies.procedure_items", _procedure_problem)
_cache.owned("policies.modifier_items", _modifier_problem)


def check_item(item: Item) -> tuple[str, str, str, int] | None:
    """(kind, reason, expected, offset) when an item's codes do not exist; None when fine."""
    ends = [(item.start, 0)] if item.kind != "range" else [(item.start, 0),
                                                          (item.end, item.offset)]
    for code, offset in ends:
        if item.system == "icd10cm":
            problem = _icd_problem(code, item.kind == "code")
        elif item.system == "procedure":
            problem = _procedure_problem(code)
        else:
            problem = _modifier_problem(code)
        if problem:
            return (*problem, offset)
    return None


def procedure_key(code: str) -> str:
    """A text that sorts procedure codes kind by kind: CPT Category I (5 digits), then each
    kind of CPT code with a letter in 5th place (Category II ``F``, Category III ``T``,
    PLA ``U``, ``M``, ``A``), then HCPCS Level II letter by letter; by the code within a
    kind. A range's ends are of one kind, so its keys hold only codes of that kind: text
    order alone put Category II codes (``3008F``) inside ``10021-69990`` and ``0100T``
    inside ``00100-01999``.

    >>> procedure_key("99213"), procedure_key("3008F"), procedure_key("G0008")
    ('0099213', '0F3008F', '1G0008')
    >>> sorted(["3008F", "69990", "10021", "0100T", "01999"], key=procedure_key)
    ['01999', '10021', '69990', '3008F', '0100T']
    """
    if code[:1].isdigit():
        fifth = code[4:5]
        return ("0" + fifth if fifth.isalpha() else "00") + code
    return "1" + code


def range_key(system: str, code: str) -> str:
    """The text ranges of ``system`` compare ``code`` by: the order of the tabular list for
    ICD-10-CM (:func:`codekit.icd10cm.tabular_key`), kind by kind for procedure codes
    (:func:`procedure_key`). A code's key starts with the key of its prefixes (3
    characters or more for ICD-10-CM), so a range holds what is below its end."""
    if system == "icd10cm":
        from .. import icd10cm

        return icd10cm.tabular_key(code)
    if system == "procedure":
        return procedure_key(code)
    return code


def _in_ranges(keyed: tuple[tuple[str, str], ...], key: str) -> bool:
    """Whether a code whose :func:`range_key` is ``key`` is in one of the ranges whose
    ends' keys are ``keyed``: from the start, to the end and everything below it."""
    # An explicit loop, not any(): no generator on the hot path.
    for lo, hi in keyed:  # noqa: SIM110
        if lo <= key[: len(lo)] and key[: len(hi)] <= hi:
            return True
    return False


#: The procedure codes ranges are expanded over: (the codes, the same sorted), for the
#: bundled table that :func:`codekit.procedure.known_codes` last answered with.
_UNIVERSE: list[tuple[frozenset[str], frozenset[str], tuple[str, ...]]] = []


def _procedure_universe() -> tuple[frozenset[str], tuple[str, ...]]:
    """The 5-character codes of :func:`codekit.procedure.known_codes` (all of them), as a
    set, and their :func:`procedure_key` sorted; made again only when the bundled table is
    another one."""
    from .. import procedure

    codes = procedure.known_codes()
    got = _UNIVERSE[0] if _UNIVERSE else None
    if got is None or got[0] is not codes:
        five = frozenset(c for c in codes if len(c) == 5)
        got = (codes, five if len(five) < len(codes) else codes,
               tuple(sorted(procedure_key(c) for c in five)))
        _UNIVERSE[:] = [got]
    return got[1], got[2]


def _expand(system: str, ranges: tuple[tuple[str, str], ...],
            keyed: tuple[tuple[str, str], ...]) -> tuple[frozenset[str], frozenset[str]]:
    """(the codes of ``known`` in ``ranges``, whose ends' keys are ``keyed``; ``known``):
    the ranges of a procedure set enumerated over the procedure codes that exist; (empty,
    empty) for ranges that are not expanded (another system's, or ends that are not 5
    characters).

    Exactly equivalent, for every string: a range's test is ``lo <= key(code)[:n] <= hi``
    for keys ``lo`` and ``hi`` of 5-character ends (``n`` characters), which for a
    5-character ``code`` is ``lo <= key(code) <= hi``, the bisected slice of the sorted
    keys of the known codes. Every code of ``known`` is answered by the expansion; every
    other string (a code only a user's file adds, a string of another length) is still
    answered by the ranges themselves (:meth:`CodeSet.__contains__`).
    """
    if system != "procedure" or not ranges or \
            any(len(lo) != 5 or len(hi) != 5 for lo, hi in ranges):
        return frozenset(), frozenset()
    known, ordered = _procedure_universe()
    out: set[str] = set()
    for lo, hi in keyed:
        out.update(k[-5:] for k in
                   ordered[bisect.bisect_left(ordered, lo):bisect.bisect_right(ordered, hi)])
    return frozenset(out), known


@attrs.frozen(repr=False)
class CodeSet:
    """A set of compact codes of one system: exact codes, prefixes and ranges, plus other
    sets (union) and less excluded sets (difference).

    A range includes everything below its end, as in the tabular: ``M99.00-M99.05``
    contains ``M99.05`` and any code starting with it. Ranges follow the order of their
    system (:func:`range_key`): the tabular list's for ICD-10-CM (``C43-C44`` holds
    ``C4A.10``, ``C76-C80`` does not hold ``C7A.00``, ``C84.00-C84.99`` holds ``C84.Z0``:
    C84.Z comes before C84.9), one kind of code for CPT/HCPCS
    (``10021-69990`` holds no Category II code such as ``3008F``).

    A procedure set's ranges (CPT/HCPCS codes, 5 characters at both ends) are expanded
    when the set is made into the codes they hold among the procedure codes that exist
    (:func:`codekit.procedure.known_codes`, every bundled quarter): :attr:`members`, and a
    line's code is then one look-up, as for codes listed one by one. The ranges still
    answer for any code outside :attr:`known` (a code a user's quarterly file adds), so
    that both answer alike: ``99202-99215`` holds no ``9920F`` (a Category II code, were
    there such a code):

    >>> s = CodeSet.of("procedure", exact=["G0008"], ranges=[("99202", "99215")])
    >>> sorted(s.members)
    ['99202', '99203', '99204', '99205', '99211', '99212', '99213', '99214', '99215', 'G0008']
    >>> "99213" in s, "99216" in s, "9920F" in s, "9920F" in s.known
    (True, False, False, False)
    """

    system: str
    exact: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    ranges: tuple[tuple[str, str], ...] = ()
    plus: tuple[CodeSet, ...] = ()
    excluded: tuple[CodeSet, ...] = ()
    text: str = attrs.field(default="", eq=False)
    #: Only exact codes and prefixes (membership without ranges or other sets).
    flat: bool = attrs.field(init=False, eq=False, repr=False)
    #: No other sets (union, difference): membership is :attr:`members`, the prefixes, and
    #: for a code not in :attr:`known` the ranges.
    direct: bool = attrs.field(init=False, eq=False, repr=False)
    #: The ranges' ends as :func:`range_key` writes them (what membership compares).
    keyed: tuple[tuple[str, str], ...] = attrs.field(init=False, eq=False, repr=False)
    #: The exact codes, and the codes of :attr:`known` in the ranges.
    members: frozenset[str] = attrs.field(init=False, eq=False, repr=False)
    #: The codes the ranges were expanded over (empty when they were not: another
    #: system's set, or no ranges); for these, :attr:`members` answers alone.
    known: frozenset[str] = attrs.field(init=False, eq=False, repr=False)
    #: Membership answers remembered by the checking fast path (code -> bool).
    seen: dict[str, bool] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "flat", not (self.ranges or self.plus or self.excluded))
        object.__setattr__(self, "direct", not (self.plus or self.excluded))
        keyed = tuple((range_key(self.system, lo), range_key(self.system, hi))
                      for lo, hi in self.ranges)
        object.__setattr__(self, "keyed", keyed)
        expanded, known = _expand(self.system, self.ranges, keyed)
        object.__setattr__(self, "members", self.exact | expanded if expanded else self.exact)
        object.__setattr__(self, "known", known)
        object.__setattr__(self, "seen", {})

    def __reduce__(self) -> tuple[Any, ...]:
        # The remembered answers stay behind: a set pickles as its definition.
        return (CodeSet, (self.system, self.exact, self.prefixes, self.ranges, self.plus,
                          self.excluded, self.text))

    @classmethod
    def of(cls, system: str, *, exact: Iterable[str] = (), prefixes: Iterable[str] = (),
           ranges: Iterable[tuple[str, str]] = (), text: str = "") -> CodeSet:
        prefixes = set(prefixes)
        spans = set()
        for lo, hi in ranges:
            if lo == hi:
                prefixes.add(lo)  # a range of one code: that code and everything below it
            else:
                spans.add((lo, hi))
        return cls(system, frozenset(exact), tuple(sorted(prefixes)), tuple(sorted(spans)),
                   text=text)

    def __contains__(self, code: object) -> bool:
        if type(code) is not str:
            return False
        if (code in self.members or (self.prefixes and code.startswith(self.prefixes))
                or (self.ranges and code not in self.known
                    and _in_ranges(self.keyed, range_key(self.system, code)))):
            hit = True
        elif self.plus:
            hit = any(code in p for p in self.plus)
        else:
            return False
        if hit and self.excluded:
            for x in self.excluded:
                if code in x:
                    return False
        return hit

    def union(self, other: CodeSet) -> CodeSet:
        """Codes in either set."""
        text = f"{self.text} + {other.text}"
        if self.excluded or other.excluded:
            return CodeSet(self.system, plus=(self, other), text=text)
        return CodeSet(self.system, self.exact | other.exact,
                       tuple(sorted(set(self.prefixes) | set(other.prefixes))),
                       tuple(sorted(set(self.ranges) | set(other.ranges))),
                       self.plus + other.plus, text=text)

    def minus(self, other: CodeSet) -> CodeSet:
        """Codes in this set and not in ``other``."""
        return attrs.evolve(self, excluded=(*self.excluded, other),
                            text=f"{self.text} except {other.text}")

    def superset(self) -> CodeSet:
        """Exact codes and ranges covering every member (exclusions ignored): for indexes."""
        exact, prefixes, ranges = set(self.exact), set(self.prefixes), set(self.ranges)
        for p in self.plus:
            sup = p.superset()
            exact |= sup.exact
            prefixes |= set(sup.prefixes)
            ranges |= set(sup.ranges)
        return CodeSet.of(self.system, exact=exact, prefixes=prefixes, ranges=ranges)

    def __repr__(self) -> str:
        return f"CodeSet({self.system}: {self.text or '...'})"
